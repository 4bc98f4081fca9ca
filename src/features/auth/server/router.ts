import { env } from "~/env";
import { getDatabase } from "~/server/db";
import { createTRPCRouter, protectedProcedure, publicProcedure } from "~/server/api/trpc";
import { oauthProviders } from "~/server/auth/oauth-providers";
import { listUserOrganizations } from "~/features/orgs/server/list-user-organizations";
import { signUpInput } from "../schemas";
import { signUp } from "./sign-up";

export const authRouter = createTRPCRouter({
  signUp: publicProcedure
    .input(signUpInput)
    .mutation(({ ctx, input }) => signUp(ctx.db, { input, allowSignup: env().SWITCHYARD_ALLOW_SIGNUP })),
  methods: publicProcedure.query(() => ({
    signupAllowed: env().SWITCHYARD_ALLOW_SIGNUP,
    oauth: oauthProviders(),
  })),
});

export const meRouter = createTRPCRouter({
  get: protectedProcedure.query(async ({ ctx }) => ({
    id: ctx.user.id,
    email: ctx.user.email,
    name: ctx.user.name ?? null,
    orgs: await listUserOrganizations(ctx.db, { userId: ctx.user.id }),
  })),
});

export const systemRouter = createTRPCRouter({
  status: protectedProcedure.query(async () => {
    const handle = await getDatabase();
    return {
      database: handle.kind,
      vectorAvailable: handle.vectorAvailable,
      vectorUnavailableReason: handle.vectorUnavailableReason ?? null,
    };
  }),
});
