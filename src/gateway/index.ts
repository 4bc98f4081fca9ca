export { createGateway, type Gateway, type GatewayOptions } from "./create-gateway";
export type { ResponseClass } from "./respond";
export { GatewayError, type GatewayErrorBody, type GatewayErrorType } from "./gateway-error";
export type * from "./ports";
export { createProviderModelCatalog } from "./models/model-index";
export type { ProviderRegistry } from "~/providers/registry";
