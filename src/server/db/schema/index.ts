export * from "./users";
export * from "./organizations";
export * from "./api-keys";
export * from "./audit";
export * from "./providers";
export * from "./request-logs";
export * from "./routes";
