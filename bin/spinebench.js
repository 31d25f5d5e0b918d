#!/usr/bin/env node
// Launcher of the local `spinebench` CLI: registers tsx so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../evaluator/cli/main.ts');
await main();
