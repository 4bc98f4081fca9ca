import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;
export type LogListItem = Outputs["logs"]["list"]["items"][number];
export type LogDetailData = Outputs["logs"]["get"];
export type LogFilterOptions = Outputs["logs"]["filters"];
