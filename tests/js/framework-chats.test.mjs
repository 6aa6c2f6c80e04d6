// The framework examples end to end in headless Chromium (framework-chats.mjs
// has the tests; firefox.test.mjs and webkit.test.mjs run them there).
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { chromiumPages } from "./pages.mjs";

frameworkChatTestsIn("Chromium", () => chromiumPages({ backForwardCache: true }), { backForwardCache: true });
