// One jest run, five projects: unit (pure code), integration (real Kafka, HBase REST, Prometheus), cluster (real
// kube-apiserver + KWOK + Helm), real-node (a real kubelet node in that cluster) and e2e (the whole pipeline). Run with
// NODE_OPTIONS=--experimental-vm-modules: the code is ESM and @kubernetes/client-node is ESM-only.
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
};
const common = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.tormenta/'],
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/services/*/src/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts', '<rootDir>/data/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.(integration|cluster|e2e)\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/services/*/src/**/*.integration.test.ts',
        '<rootDir>/test/integration/**/*.integration.test.ts',
        '<rootDir>/test/packaging/**/*.integration.test.ts',
      ],
      globalSetup: '<rootDir>/test/stack/global-setup.ts',
      globalTeardown: '<rootDir>/test/stack/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
    },
    {
      ...common,
      displayName: 'cluster',
      testMatch: [
        '<rootDir>/services/*/src/**/*.cluster.test.ts',
        '<rootDir>/test/cluster/**/*.cluster.test.ts',
        '<rootDir>/test/packaging/**/*.cluster.test.ts',
      ],
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/cluster-timeout.ts'],
    },
    {
      ...common,
      displayName: 'real-node',
      testMatch: ['<rootDir>/test/cluster/real-node/**/*.real-node.test.ts'],
      globalSetup: '<rootDir>/test/cluster/real-node/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/cluster-timeout.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/test/stack/global-setup.ts',
      globalTeardown: '<rootDir>/test/stack/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'],
    },
  ],
};
