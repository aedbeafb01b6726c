/**
 * Work that runs on its own (the outbox engine now; the mailbox checker and upload pruning next): the service
 * keeps a registry of them, each with start, stop and a status, and each host decides which to start. The desktop
 * app and `postroom serve` start them all; the command line starts none (`postroom send --follow` runs an engine
 * for its one campaign itself). So the core never asks which host it is in.
 */
export interface TaskStatus {
  name: string;
  running: boolean;
}

export interface BackgroundTask {
  /** A short stable name: `engine`, `mailbox-checker`, `upload-pruning`. */
  name: string;
  start(): void;
  stop(): Promise<void> | void;
}

export interface TaskRegistry {
  /** Adds a task (not started). A name is registered once. */
  register(task: BackgroundTask): void;
  /** Starts the named tasks (all of them when no names are given); a running task is left as it is. */
  start(names?: string[]): void;
  /** Stops every running task, the last started first. */
  stop(): Promise<void>;
  status(): TaskStatus[];
}

export function createTaskRegistry(): TaskRegistry {
  const tasks = new Map<string, BackgroundTask>();
  const running: string[] = [];
  return {
    register(task) {
      if (tasks.has(task.name)) throw new Error(`A background task named "${task.name}" is registered already.`);
      tasks.set(task.name, task);
    },
    start(names) {
      for (const name of names ?? [...tasks.keys()]) {
        const task = tasks.get(name);
        if (!task) throw new Error(`There is no background task named "${name}".`);
        if (running.includes(name)) continue;
        task.start();
        running.push(name);
      }
    },
    async stop() {
      while (running.length) await tasks.get(running.pop()!)!.stop();
    },
    status: () => [...tasks.keys()].map((name) => ({ name, running: running.includes(name) })),
  };
}
