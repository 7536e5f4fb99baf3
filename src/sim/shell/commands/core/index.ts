/** Coreutils, filters and process tools (GNU or busybox flavour by the target's userland). */
import './files.ts';
import './text.ts';
import './sys.ts';
import './shells.ts';
import './sed.ts';
import './awk.ts';
