/** Configuration, Guice wiring and the entry points of Octo. */
package dev.octo.bootstrap;
