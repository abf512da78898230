import { computed } from "vue";
import { allows, missingScopeHint, type Scope } from "../api/access";
import { useSession } from "./useSession";

/** Who the dashboard is signed in as, and what its key allows: pages hide or disable the controls it does not. */
export function useViewer() {
  const { viewer } = useSession();
  return {
    viewer,
    can: (scope: Scope) => allows(viewer.value, scope),
    /** a key that may look but not change anything */
    readOnly: computed(() => viewer.value !== null && !allows(viewer.value, "write")),
    missingScopeHint,
  };
}
