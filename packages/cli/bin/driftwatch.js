#!/usr/bin/env node
// The built CLI (`npm run build` first; README's commands do it for you).
await import('../dist/main.js');
