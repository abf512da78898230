/** Below 768 px (a phone, a narrow window) the navigation becomes a drawer and forms stack their labels. */
export const PHONE_LAYOUT_QUERY = "(max-width: 767px)";
