/** Tool sets of the images' userlands (what is installed, so that anything else is `not found`). */

/** busybox --install -s (1.35/1.36): the applets the lab's commands care about. */
export const BUSYBOX_TOOLS = [
  'sh', 'ash', 'arp', 'awk', 'basename', 'cat', 'chmod', 'cp', 'cut', 'date', 'dd', 'df', 'dirname', 'dmesg', 'dnsdomainname',
  'echo', 'env', 'expr', 'false', 'find', 'free', 'grep', 'head', 'hostname', 'httpd', 'id', 'ifconfig', 'ip', 'kill', 'less',
  'ln', 'ls', 'mkdir', 'more', 'mount', 'mv', 'nc', 'netstat', 'nslookup', 'ping', 'ping6', 'printf', 'ps', 'pwd', 'rm', 'rmdir',
  'route', 'sed', 'seq', 'sleep', 'sort', 'stat', 'tail', 'tee', 'telnet', 'test', 'top', 'touch', 'tr', 'traceroute', 'true',
  'uname', 'uniq', 'uptime', 'vi', 'watch', 'wc', 'wget', 'which', 'whoami', 'xargs', 'yes', '[', '[[',
];

/** A Debian-like minimal base: coreutils, bash, grep, sed, findutils, hostname (no iproute2, iputils, curl). */
export const DEBIAN_BASE = [
  'bash', 'sh', 'cat', 'chmod', 'cp', 'cut', 'date', 'dd', 'df', 'dirname', 'basename', 'echo', 'env', 'expr', 'false', 'find',
  'grep', 'head', 'hostname', 'id', 'kill', 'ln', 'ls', 'mkdir', 'mount', 'mv', 'printf', 'pwd', 'rm', 'rmdir', 'sed', 'seq',
  'sleep', 'sort', 'stat', 'tail', 'tee', 'test', 'touch', 'tr', 'true', 'uname', 'uniq', 'wc', 'whoami', 'xargs', 'yes',
  'dnsdomainname', 'getent', '[', '[[', 'awk',
];
