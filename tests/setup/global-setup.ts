import { mkdirSync } from "node:fs";

export default function setup() {
  mkdirSync("tests/output", { recursive: true });
}
