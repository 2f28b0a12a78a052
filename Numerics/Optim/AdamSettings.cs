namespace RnnCluster.Numerics.Optim;

/// <summary>Adam's hyperparameters, Keras's defaults unless set.</summary>
public sealed record AdamSettings(float LearningRate = 1e-3f, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-7f);
