export {
  createGateway,
  routingStateFor,
  type Gateway,
  type GatewayOptions,
} from "./create-gateway";
export {
  createRoutingState,
  type RoutingState,
  type RoutingStateOptions,
} from "./routing/routing-state";
export type { BreakerSnapshot, BreakerState } from "./routing/circuit-breaker";
export type { AttemptOutcome, AttemptRecord } from "./routing/attempt-record";
export type { ResponseClass } from "./respond";
export { GatewayError, type GatewayErrorBody, type GatewayErrorType } from "./gateway-error";
export type * from "./ports";
export { createProviderModelCatalog } from "./models/model-index";
export type { ProviderRegistry } from "~/providers/registry";
