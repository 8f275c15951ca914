// The stack is shared by several jest projects and by repeated runs, so the run's owner (test/run.ts, or the developer
// who typed `npm run stack -- up`) stops it, not each project.
export default async function globalTeardown(): Promise<void> {}
