export * from "./users";
export * from "./organizations";
export * from "./api-keys";
export * from "./audit";
