export { VARS } from './definitions.js';
export type { VarName, VarDef } from './definitions.js';
export { loadConfig, loadConfigOrExit, ConfigError, processEnv, configTable } from './load-config.js';
export type { Config } from './load-config.js';
