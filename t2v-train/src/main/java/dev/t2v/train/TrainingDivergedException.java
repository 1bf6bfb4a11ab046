package dev.t2v.train;

/** Training stopped because too many optimiser steps in a row had a non-finite loss or gradient. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
