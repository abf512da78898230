import urql from "@urql/vue";
import { createApp } from "vue";
import { createApiClient } from "./api/client";
import App from "./App.vue";
import { createAppRouter } from "./router";

createApp(App).use(createAppRouter()).use(urql, createApiClient()).mount("#app");
