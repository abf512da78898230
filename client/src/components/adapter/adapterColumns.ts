import { CreateOutline, DownloadOutline, MusicalNotesOutline, TrashOutline } from "@vicons/ionicons5";
import type { DataTableColumn, DataTableColumns } from "naive-ui";
import { h } from "vue";
import type { AdapterListItemFragment } from "../../gql/graphql";
import { formatDateTime } from "../../utils/format";
import { iconButton, iconDownload, tableLink } from "../common/tableCells";
import AdapterActiveSwitch from "./AdapterActiveSwitch.vue";
import AdapterCompatibilityTag from "./AdapterCompatibilityTag.vue";
import AdapterTagList from "./AdapterTagList.vue";

export interface AdapterRowActions {
  rename(adapter: AdapterListItemFragment): void;
  remove(adapter: AdapterListItemFragment): void;
  selectTag(tag: string): void;
  useInGenerate(adapter: AdapterListItemFragment): void;
}

export interface AdapterColumnOptions {
  /** false inside a name group, where the group row already says it */
  showName: boolean;
  showCompatibility: boolean;
  /** whether the key may change adapters: the rename and delete buttons show only then */
  editable: boolean;
  actions: AdapterRowActions;
}

type Column = DataTableColumn<AdapterListItemFragment>;

function linkToAdapter(adapter: AdapterListItemFragment, text: string) {
  return tableLink({ name: "adapter", params: { id: adapter.id } }, text);
}

function nameColumn(): Column {
  return { title: "Name", key: "name", minWidth: 180, ellipsis: { tooltip: true }, render: (adapter) => linkToAdapter(adapter, adapter.name) };
}

function versionColumn(linked: boolean): Column {
  return {
    title: "Version",
    key: "version",
    width: 110,
    render: (adapter) => (linked ? linkToAdapter(adapter, adapter.version) : h("span", { class: "adapter-version" }, adapter.version)),
  };
}

function compatibilityColumn(): Column {
  return {
    title: "Current model",
    key: "compatibility",
    width: 150,
    render: (adapter) => (adapter.compatibility ? h(AdapterCompatibilityTag, { compatibility: adapter.compatibility }) : null),
  };
}

/** Download and Use in Generate for anyone who may read; rename and delete for a key that may change adapters. */
function actionsColumn(actions: AdapterRowActions, editable: boolean): Column {
  return {
    title: "",
    key: "actions",
    width: editable ? 160 : 88,
    align: "right",
    render: (adapter) =>
      h("span", { class: "row-actions" }, [
        iconDownload(`Download ${adapter.name} ${adapter.version}`, DownloadOutline, adapter.downloadUrl),
        iconButton(`Use ${adapter.name} ${adapter.version} in Generate`, MusicalNotesOutline, () => actions.useInGenerate(adapter)),
        ...(editable
          ? [
              iconButton(`Rename ${adapter.name} ${adapter.version}`, CreateOutline, () => actions.rename(adapter)),
              iconButton(`Delete ${adapter.name} ${adapter.version}`, TrashOutline, () => actions.remove(adapter), "error"),
            ]
          : []),
      ]),
  };
}

/** The adapter table's columns, shared by the flat list and the versions inside each name group. */
export function adapterColumns({ showName, showCompatibility, editable, actions }: AdapterColumnOptions): DataTableColumns<AdapterListItemFragment> {
  const columns: (Column | null)[] = [
    showName ? nameColumn() : null,
    versionColumn(!showName),
    { title: "Base model", key: "baseModel", width: 190, ellipsis: { tooltip: true }, render: (adapter) => adapter.baseModel.displayName },
    showCompatibility ? compatibilityColumn() : null,
    {
      title: "Active",
      key: "active",
      width: 80,
      render: (adapter) => h(AdapterActiveSwitch, { adapter }),
    },
    {
      title: "Tags",
      key: "tags",
      minWidth: 140,
      render: (adapter) => h(AdapterTagList, { tags: adapter.tags, selectable: true, onSelect: actions.selectTag }),
    },
    { title: "Created", key: "createdAt", width: 190, render: (adapter) => h("span", { class: "nowrap" }, formatDateTime(adapter.createdAt)) },
    actionsColumn(actions, editable),
  ];
  return columns.filter((column): column is Column => column !== null);
}
