/* hark: the program. The only place that exits (with the status hark_cli says). */
#include "cli.h"

int main(int argc, char **argv)
{
    return hark_cli(argc, argv);
}
