// A numeric dataset: its shape, and its values read as float32 straight into tensor storage.
@preconcurrency import CHDF5
import Engine

/// A dataset of an open HDF5 file.
package struct HDF5Dataset: Sendable {
  /// The file the dataset belongs to (kept open while the dataset lives).
  package let file: HDF5File
  let handle: HDF5Handle
  /// The dataset's path inside the file.
  package let name: String

  /// The extent of each axis; `[]` for a scalar dataset.
  package func shape() throws -> [Int] {
    try HDF5.call {
      let spaceID = H5Dget_space(handle.id)
      guard spaceID >= 0 else { throw failure("could not read its shape") }
      let space = HDF5Handle(spaceID, .dataspace)
      let rank = H5Sget_simple_extent_ndims(space.id)
      guard rank >= 0 else { throw failure("could not read its shape") }
      var dims = [hsize_t](repeating: 0, count: Int(rank))
      guard H5Sget_simple_extent_dims(space.id, &dims, nil) >= 0 else {
        throw failure("could not read its shape")
      }
      return dims.map { Int($0) }
    }
  }

  /// The dataset's values as a float32 tensor of its shape.
  ///
  /// HDF5 reads straight into the tensor's storage and converts on the way when the file
  /// stores another numeric type (float16, float64, integers), by asking for
  /// `H5T_NATIVE_FLOAT` as the memory type.
  /// - Throws: `KerasFileError.unreadable` for non-numeric data (strings, compounds) or a
  ///   failed read (e.g. a compression filter libhdf5 does not have).
  package func readTensor() throws -> Tensor {
    let shape = try shape()
    return try HDF5.call {
      let type = HDF5Handle(H5Dget_type(handle.id), .datatype)
      let typeClass = H5Tget_class(type.id)
      guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
        throw KerasFileError.unreadable(
          path: file.path, object: "dataset '\(name)'",
          detail: "it holds \(describe(typeClass)), not numbers")
      }
      let count = shape.reduce(1, *)
      let storage = try [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
        initialised = 0
        guard count > 0 else { return }
        let status = H5Dread(
          handle.id, H5T_NATIVE_FLOAT_g, 0 /* H5S_ALL */, 0 /* H5S_ALL */, 0 /* H5P_DEFAULT */,
          buffer.baseAddress)
        guard status >= 0 else { throw failure("reading its values failed") }
        initialised = count
      }
      return Tensor(shape: shape, storage: storage)
    }
  }

  /// A failure reading this dataset, with HDF5's account of the cause.
  private func failure(_ what: String) -> KerasFileError {
    let stack = HDF5.takeErrorStack()
    return .unreadable(
      path: file.path, object: "dataset '\(name)'",
      detail: stack.isEmpty ? what : "\(what) (\(stack))")
  }

  private func describe(_ typeClass: H5T_class_t) -> String {
    switch typeClass {
    case H5T_STRING: return "strings"
    case H5T_COMPOUND: return "compound records"
    case H5T_REFERENCE: return "object references"
    case H5T_ENUM: return "enumerated values"
    case H5T_VLEN: return "variable-length sequences"
    case H5T_ARRAY: return "arrays"
    default: return "values of HDF5 type class \(typeClass.rawValue)"
    }
  }
}
