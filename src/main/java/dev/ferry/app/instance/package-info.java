/**
 * One Ferry window per user: the running app listens on a loopback port for links that a second start of Ferry
 * hands it. Where it listens, and the random token a caller must present, are in a file only the user can read
 * ({@value dev.ferry.app.instance.InstanceAddress#FILE_NAME} in the data folder); which process is the running app
 * is decided by an operating-system file lock ({@value dev.ferry.app.instance.SingleInstance#LOCK_NAME}), which
 * the system releases when that process ends, however it ends: files a crashed app left behind are never trusted.
 * No JavaFX here: the app passes a handler.
 */
package dev.ferry.app.instance;
