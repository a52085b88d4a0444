package rules

// apiserverRules are the DA1xx rules: what the API server rejects.
var apiserverRules = []*Rule{
	FieldRefUnsupportedPath,
	FieldRefInvalidKey,
	FieldRefAPIVersion,
	ResourceFieldRefUnsupportedResource,
	ResourceFieldRefContainerNameRequired,
	DivisorInvalid,
	VolumeItemSource,
	VolumeItemPath,
	FileModeRange,
	ProjectedDuplicatePath,
	EnvValueFrom,
	VolumeMountUndefined,
	EnvNameInvalid,
	VolumeMultipleTypes,
	EnvSourceInvalid,
	VolumeNameInvalid,
	ProjectedSourceInvalid,
	ContainerResourcesInvalid,
}
