/**
 * `busybox APPLET ARGS`: the multi-call binary run by name (hosts have it installed, and the
 * seeds use `busybox nc`, `busybox wget` there). The applet answers in busybox's formats even
 * on a GNU host.
 */
import type { CommandContext, ExecTarget } from '../../interp.ts';
import type { CommandResult } from '../../runtime.ts';
import { lookupCommand, register } from '../registry.ts';

function busybox(ctx: CommandContext): CommandResult {
  const [, applet, ...rest] = ctx.argv;
  if (!applet || applet === '--help') {
    ctx.stdout.write(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n   or: busybox --list[-full]\n   or: busybox --show SCRIPT\n   or: busybox --install [-s] [DIR]\n   or: function [arguments]...\n',
    );
    return applet ? 0 : 1;
  }
  const spec = lookupCommand(applet);
  if (!spec || !spec.paths.busybox) {
    ctx.stderr.write(`${applet}: applet not found\n`);
    return 127;
  }
  const target: ExecTarget = Object.create(ctx.target, { userland: { value: 'busybox' } }) as ExecTarget;
  return spec.run({ ...ctx, argv: [applet, ...rest], target });
}

register({ name: 'busybox', run: busybox, paths: { gnu: '/usr/bin/busybox', busybox: '/bin/busybox' } });
