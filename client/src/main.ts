import urql from "@urql/vue";
import { createApp } from "vue";
import App from "./App.vue";
import { useSession } from "./composables/useSession";
import { createAppRouter } from "./router";

const session = useSession();
const router = createAppRouter(session);
const app = createApp(App).use(router).use(urql, session.client);
// the first page is mounted once the API has said whether it needs a key, so no page flashes before sign-in
void router.isReady().then(() => app.mount("#app"));
