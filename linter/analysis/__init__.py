"""Analysis several rules and the wiring share: build recipes, dependency comparison, the runtime
image and target detection. It reads model, inputs and krakend, never rules."""
