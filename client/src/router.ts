import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: { name: "adapters" } },
  { path: "/adapters", name: "adapters", component: () => import("./pages/AdaptersPage.vue"), meta: { title: "Adapters" } },
  {
    path: "/adapters/:id",
    name: "adapter",
    component: () => import("./pages/AdapterDetailPage.vue"),
    props: true,
    meta: { title: "Adapter" },
  },
  { path: "/settings", name: "settings", component: () => import("./pages/SettingsPage.vue"), meta: { title: "Settings" } },
  { path: "/:unknown(.*)*", name: "not-found", component: () => import("./pages/NotFoundPage.vue"), meta: { title: "Not found" } },
];

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes });
  router.afterEach((to) => {
    document.title = typeof to.meta.title === "string" ? `${to.meta.title} · LoRA Studio` : "LoRA Studio";
  });
  return router;
}
