import fs from 'node:fs';
import path from 'node:path';

/** Thrown when another live process holds the data folder. */
export class DataFolderInUseError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `The data folder ${dataDir} is already in use by another Passage process (pid ${pid}). ` +
        `Stop that process first, or start this one with a different PASSAGE_DATA_DIR.`,
    );
    this.name = 'DataFolderInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a data folder, held as a file with the owner's pid.
 * A lock left by a process that died (crash, kill -9) is taken over.
 * Hand-written: the npm lock libraries use mtime polling meant for network
 * file systems, while a pid check answers at once and says who holds it.
 */
export class DataFolderLock {
  private constructor(private readonly file: string) {}

  /** Takes the lock or throws DataFolderInUseError at once. */
  static acquire(dataDir: string): DataFolderLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'passage.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new DataFolderLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
          throw new DataFolderInUseError(dataDir, pid);
        }
        // Stale lock from a dead process: remove it and try again.
        fs.rmSync(file, { force: true });
      }
    }
    throw new Error(`Could not lock the data folder ${dataDir}`);
  }

  /** Releases the lock if this process still holds it. */
  release(): void {
    try {
      const pid = Number.parseInt(fs.readFileSync(this.file, 'utf8').trim(), 10);
      if (pid === process.pid) fs.rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}
