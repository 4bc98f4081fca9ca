import { LoadingBlock } from "~/components/spinner";

/** Shown inside the console frame while a page's server part renders. */
export default function OrgPageLoading() {
  return <LoadingBlock />;
}
