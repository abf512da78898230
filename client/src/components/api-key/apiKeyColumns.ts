import { BanOutline } from "@vicons/ionicons5";
import { NTag, type DataTableColumns } from "naive-ui";
import { h } from "vue";
import { describeScopes } from "../../api/access";
import type { ApiKeyRowFragment } from "../../gql/graphql";
import { formatDateTime } from "../../utils/format";
import StatusTag from "../common/StatusTag.vue";
import { iconButton } from "../common/tableCells";
import { apiKeyStatus } from "./apiKeyForm";

function dateCell(iso: string | null, otherwise: string) {
  return h("span", { class: iso ? "nowrap" : "nowrap muted" }, iso ? formatDateTime(iso) : otherwise);
}

function nameCell(key: ApiKeyRowFragment, signedInKeyId: string | null) {
  return h("span", { class: "key-name" }, [
    h("strong", key.name),
    key.id === signedInKeyId ? h(NTag, { size: "tiny", type: "info", bordered: false }, { default: () => "this browser" }) : null,
  ]);
}

/**
 * The key list: what each key may do, when it was last used, and whether it still works; revoke on active ones. The
 * key this browser signed in with (`signedInKeyId`) says so.
 */
export function apiKeyColumns(revoke: (key: ApiKeyRowFragment) => void, now: number, signedInKeyId: string | null): DataTableColumns<ApiKeyRowFragment> {
  return [
    { title: "Name", key: "name", minWidth: 200, ellipsis: { tooltip: true }, render: (key) => nameCell(key, signedInKeyId) },
    { title: "Key", key: "prefix", width: 150, render: (key) => h("code", { class: "key-prefix" }, `${key.prefix}…`) },
    {
      title: "Scopes",
      key: "scopes",
      width: 150,
      render: (key) => h(NTag, { size: "small", bordered: false }, { default: () => describeScopes(key.scopes) }),
    },
    { title: "Status", key: "status", width: 100, render: (key) => h(StatusTag, { status: apiKeyStatus(key, now) }) },
    { title: "Created", key: "createdAt", width: 180, render: (key) => dateCell(key.createdAt, "") },
    { title: "Last used", key: "lastUsedAt", width: 180, render: (key) => dateCell(key.lastUsedAt, "Never") },
    { title: "Expires", key: "expiresAt", width: 180, render: (key) => dateCell(key.expiresAt, "Never") },
    {
      title: "",
      key: "actions",
      width: 56,
      align: "right",
      render: (key) => (apiKeyStatus(key, now) === "ACTIVE" ? iconButton(`Revoke ${key.name}`, BanOutline, () => revoke(key), "error") : null),
    },
  ];
}
