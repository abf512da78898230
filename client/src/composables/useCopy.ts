import { useMessage } from "naive-ui";

/** Copies text to the clipboard and says so; where the browser refuses, says how to copy by hand. */
export function useCopy() {
  const message = useMessage();
  return async function copy(text: string, label: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      message.success(`${label[0]!.toUpperCase()}${label.slice(1)} copied`);
    } catch {
      message.error(`Could not copy the ${label}; select it and copy by hand.`);
    }
  };
}
