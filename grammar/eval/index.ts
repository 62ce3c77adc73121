export * from "./value.js";
export * from "./types.js";
export { Scope, type EvalEnv, type NameResolver } from "./scope.js";
export { evaluate, evaluateExpr } from "./evaluate.js";
export { references, type Reference } from "./references.js";
export { Inputs, type DeclarationArgument, type InputsOptions, type LocalDecl, type ValidationDecl, type VariableDecl } from "./variables.js";
export { cleanPath, escapesBase, isAbsolutePath } from "./path.js";
export { STANDARD_FUNCTIONS, type FunctionTable, type FunctionDef, type FileRead, type FileReader } from "./functions/index.js";
export { signature } from "./call.js";
