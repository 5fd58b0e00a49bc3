// TEMPORARY: being written.
import NotebookKit
// %%
cell("1. nothing yet")
