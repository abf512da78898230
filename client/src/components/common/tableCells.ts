/** Cells that tables share: an icon button with a tooltip, a link to a row's page. */
import { NButton, NIcon, NTooltip } from "naive-ui";
import { h, type Component } from "vue";
import { RouterLink, type RouteLocationRaw } from "vue-router";

export function iconButton(label: string, icon: Component, onClick: () => void, type: "default" | "error" = "default") {
  return h(NTooltip, null, {
    trigger: () =>
      h(NButton, { quaternary: true, circle: true, size: "small", type, "aria-label": label, onClick }, {
        icon: () => h(NIcon, null, { default: () => h(icon) }),
      }),
    default: () => label,
  });
}

export function tableLink(to: RouteLocationRaw, text: string) {
  return h(RouterLink, { to, class: "table-link" }, { default: () => text });
}

/** An icon link that downloads a file (the browser names it from the answer's Content-Disposition). */
export function iconDownload(label: string, icon: Component, href: string) {
  return h(NTooltip, null, {
    trigger: () =>
      h(NButton, { tag: "a", href, download: "", quaternary: true, circle: true, size: "small", "aria-label": label }, {
        icon: () => h(NIcon, null, { default: () => h(icon) }),
      }),
    default: () => label,
  });
}
