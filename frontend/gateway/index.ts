/**
 * The gateway: BuildKit's LLBBridge protocol (generated from protos/ into proto/) and a client for it over
 * the frontend's stdio, the build options BuildKit passes, and diagnostics as the google.rpc.Status a
 * frontend returns. The protocol is the gateway's, not LLB's: llb/ generates only ops.proto, which the
 * gateway's messages embed.
 */
export * from "./client.js";
export { diagnosticsToStatus, formatDiagnosticLine, messageToStatus } from "./errors.js";
export * from "./options.js";
export { listenStdioBridge } from "./stdio.js";
export { google } from "./proto/google/rpc/status.js";
export { google as anyPb } from "./proto/google/protobuf/any.js";
