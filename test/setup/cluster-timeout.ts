// testTimeout is a global jest option, so each project sets its own here.
import { jest } from '@jest/globals';

jest.setTimeout(300_000);
