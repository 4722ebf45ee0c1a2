/** JSON files under .octo/, written with Jackson: tasks, agent conversations and the instance lock. */
package dev.octo.adapters.persistence;
