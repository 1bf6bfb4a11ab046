package dev.t2v.core.bundle;

/**
 * Where a model came from ({@code model.json}'s {@code provenance} object).
 *
 * @param dataManifestSha256 SHA-256 of the preprocessed dataset's manifest it was trained on
 * @param steps optimiser steps taken
 * @param epochs passes over the training clips completed
 * @param seed the training seed
 * @param gitRevision the source revision of the training code, {@code null} when unknown
 * @param created ISO-8601 instant the bundle was written
 * @param trainingConfigJson the resolved training configuration as a JSON object, {@code null} when unknown
 * @param t2vVersion the t2v version that wrote it
 */
public record Provenance(String dataManifestSha256, long steps, long epochs, long seed, String gitRevision,
        String created, String trainingConfigJson, String t2vVersion) {
    public Provenance {
        if (dataManifestSha256 == null || dataManifestSha256.isBlank()) {
            throw new IllegalArgumentException("provenance data_manifest_sha256 must be a non-empty string");
        }
        if (steps < 0 || epochs < 0) {
            throw new IllegalArgumentException("provenance steps and epochs must be >= 0, got " + steps + " and "
                    + epochs);
        }
        if (created == null || created.isBlank()) {
            throw new IllegalArgumentException("provenance created must be a non-empty string");
        }
        if (t2vVersion == null || t2vVersion.isBlank()) {
            throw new IllegalArgumentException("provenance t2v_version must be a non-empty string");
        }
    }

    /** This build's version: the jar manifest's Implementation-Version, else {@code dev}. */
    public static String currentVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
