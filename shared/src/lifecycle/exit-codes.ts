/** Exit status of a process stopped by its configuration (sysexits EX_CONFIG): not worth a restart. */
export const EXIT_CONFIG = 78;
