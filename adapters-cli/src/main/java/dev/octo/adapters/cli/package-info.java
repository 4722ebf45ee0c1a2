/** The JLine 3 terminal front end will live here: prompt, completion, history, notifications and tables. */
package dev.octo.adapters.cli;
