/** Process tasks: /bin/sh -c in a process group of its own, output to log files, exit status to a file. */
package dev.octo.adapters.process;
