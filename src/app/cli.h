#ifndef HARK_CLI_H
#define HARK_CLI_H
/*
 * hark's command line: `hark COMMAND ...` dispatched to the command (cmd.h), the signals
 * (SIGINT, SIGTERM and SIGHUP stop, SIGUSR1 takes a snapshot, SIGCONT says the process was
 * stopped, SIGPIPE and SIGXFSZ are failed writes), an error said in one line
 * "hark: <subject>: <what is wrong>" and the exit status: 0, 1 for a failure, 2 for a usage
 * error. Returns the status; never calls exit. Thread: main.
 */

int hark_cli(int argc, char **argv);

#endif
