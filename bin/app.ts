#!/usr/bin/env node
import { ConfigError } from '../lib/config';
import { buildApp } from '../lib/app';

try {
  buildApp();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
