// What the startup bench's raw side imports: nothing, the same way the class is imported.
export const loaded = true;
