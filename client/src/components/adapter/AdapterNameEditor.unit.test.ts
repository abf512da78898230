import urql, { Client, fetchExchange } from "@urql/vue";
import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, test, vi } from "vitest";
import AdapterNameEditor from "./AdapterNameEditor.vue";

const adapter = { id: "a1", name: "jazz-solo" };

function mountEditor(fetchStub = vi.fn<typeof fetch>()) {
  const client = new Client({ url: "http://api.test/graphql", exchanges: [fetchExchange], fetch: fetchStub });
  const wrapper = mount(AdapterNameEditor, { props: { adapter }, global: { plugins: [[urql, client]] }, attachTo: document.body });
  return { wrapper, fetchStub };
}

async function startEditing(wrapper: ReturnType<typeof mountEditor>["wrapper"]) {
  await wrapper.get("button.name-button").trigger("click");
  return wrapper.get("input");
}

describe("AdapterNameEditor", () => {
  test("starts from the current name and discards the draft on Escape", async () => {
    const { wrapper, fetchStub } = mountEditor();
    const input = await startEditing(wrapper);
    expect(input.element.value).toBe("jazz-solo");
    await input.setValue("something else");
    await input.trigger("keydown", { key: "Escape" });
    expect(wrapper.find("input").exists()).toBe(false);
    expect(wrapper.get("h1").text()).toBe("jazz-solo");
    expect(fetchStub).not.toHaveBeenCalled();
  });

  test("says why a name cannot be saved and disables Save", async () => {
    const { wrapper } = mountEditor();
    const input = await startEditing(wrapper);
    await input.setValue("   ");
    expect(wrapper.get("[role=alert]").text()).toBe("Enter a name.");
    const save = wrapper.findAll("button").find((button) => button.text() === "Save");
    expect(save?.attributes("disabled")).toBeDefined();
  });

  test("sends the trimmed name on Enter and shows the API's refusal", async () => {
    const refusal = { __typename: "ConflictError", message: "jazz-solo 1.0 exists", code: "CONFLICT", suggestedVersion: null };
    const fetchStub = vi.fn<typeof fetch>(async () => new Response(JSON.stringify({ data: { renameAdapter: refusal } }), {
      headers: { "content-type": "application/json" },
    }));
    const { wrapper } = mountEditor(fetchStub);
    const input = await startEditing(wrapper);
    await input.setValue("  bebop  ");
    await input.trigger("keydown", { key: "Enter" });
    await flushPromises();

    const body = JSON.parse(String(fetchStub.mock.calls[0]![1]!.body));
    expect(body.variables).toEqual({ id: "a1", name: "bebop" });
    expect(wrapper.text()).toContain("jazz-solo 1.0 exists");
    expect(wrapper.find("input").exists()).toBe(true);
  });
});
