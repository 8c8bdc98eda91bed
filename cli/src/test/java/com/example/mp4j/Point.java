package com.example.mp4j;

import java.io.Serializable;

/** A user's class, in a package of neither the JDK nor multiprocessing4j. */
public record Point(int x, int y) implements Serializable {}
