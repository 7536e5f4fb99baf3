/**
 * Processes of one PID namespace. A host has one table; every container gets its own (its
 * command is PID 1 inside, as `ps` in a container shows), while the host's `ps -ef` also lists
 * container processes under host PIDs, as a real host does.
 */
export interface Process {
  pid: number;
  ppid: number;
  /** The full command line, as `ps -ef` prints it in CMD. */
  cmdline: string;
  /** The program name (`comm`), as `ss -p` and `netstat -p` show it. */
  comm: string;
  user: string;
  /** Start time, ms since the epoch (virtual clock). */
  started: number;
  tty: string;
  /** Network namespace the process runs in. */
  netnsId: number;
  /** The container this process belongs to, if any (for `docker top`, `ps`). */
  container?: string;
  /** The pid the process has inside its container's PID namespace. */
  nsPid?: number;
}

export class ProcessTable {
  private readonly procs = new Map<number, Process>();
  private next: number;

  constructor(firstPid = 1) {
    this.next = firstPid;
  }

  /** Reserves a pid without recording a process (a short-lived command: `echo $$`). */
  allocPid(): number {
    return this.next++;
  }

  spawn(p: Omit<Process, 'pid'> & { pid?: number }): Process {
    const proc: Process = { ...p, pid: p.pid ?? this.allocPid() };
    this.procs.set(proc.pid, proc);
    return proc;
  }

  kill(pid: number): void {
    this.procs.delete(pid);
  }

  get(pid: number): Process | undefined {
    return this.procs.get(pid);
  }

  list(): Process[] {
    return [...this.procs.values()].sort((a, b) => a.pid - b.pid);
  }
}
