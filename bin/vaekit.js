#!/usr/bin/env node
import '../dist/cli/vaekit.js';
