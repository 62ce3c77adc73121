export { ACCOUNT_FILES, parseAccountFile, formatAccountFile, type AccountFile, type AccountLine } from "./files.js";
export { homesMade, planAccounts, type AccountsPlan, type BaseAccounts, type BaseAccountFile } from "./merge.js";
export { accountsAction } from "./llb.js";
export { readBaseAccounts } from "./base-accounts.js";
