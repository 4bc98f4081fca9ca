import type { Hono } from "hono";
import { authenticate } from "../steps/authenticate";
import { authorizeEndpoint } from "../steps/authorize-endpoint";
import { GatewayError } from "../gateway-error";
import { refuseOtherMethods, route, type ResolvedPorts } from "../route";

/** `GET /v1/models` and `GET /v1/models/:id`: the models the key may call, in OpenAI's list shape. */
export function registerModelRoutes(app: Hono, ports: ResolvedPorts): void {
  app.get(
    "/v1/models",
    route(ports, async (ctx, c) => {
      const key = await authenticate(ctx, c.req.raw.headers, ports);
      authorizeEndpoint(key, "models");
      const data = await ports.models.listModels(key);
      return ports.respond.json({ object: "list", data }, 200, ctx.requestId);
    }),
  );
  refuseOtherMethods(app, ports, "/v1/models", ["GET"]);

  // Model ids may contain slashes (`org/model`), so the parameter takes the rest of the path.
  app.get(
    "/v1/models/:id{.+}",
    route(ports, async (ctx, c) => {
      const key = await authenticate(ctx, c.req.raw.headers, ports);
      authorizeEndpoint(key, "models");
      const id = c.req.param("id");
      const models = await ports.models.listModels(key);
      const model = models.find((m) => m.id === id);
      if (!model) {
        throw new GatewayError(
          "model_not_found",
          404,
          `The model \`${id}\` does not exist or you do not have access to it.`,
          "model",
        );
      }
      return ports.respond.json(model, 200, ctx.requestId);
    }),
  );
  refuseOtherMethods(app, ports, "/v1/models/:id{.+}", ["GET"]);
}
