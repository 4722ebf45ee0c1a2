/** The TelegramBots long-polling front end will live here: commands, notifications, replies and authorization. */
package dev.octo.adapters.telegram;
