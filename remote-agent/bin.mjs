#!/usr/bin/env node
// `connection-utility-agent`: the Remote Agent from a checkout or an installed package (TypeScript run by tsx).
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
