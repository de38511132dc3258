#pragma once
// State-level algebra on the corridor layer with Eigen: incidence matrices that turn corridor
// vectors into country vectors (by origin, by host), the origin x host matrix of any corridor
// quantity, and the concentration of each origin's diaspora across destinations.

#include "core/world/world.hpp"

#include <Eigen/Dense>
#include <Eigen/SparseCore>

namespace bridges::core {

class CorridorAlgebra {
  public:
    explicit CorridorAlgebra(const World& w);

    /// Country vector of the sum over corridors with that origin (host).
    [[nodiscard]] Eigen::VectorXd by_origin(const Eigen::VectorXd& per_corridor) const {
        return origin_ * per_corridor;
    }
    [[nodiscard]] Eigen::VectorXd by_host(const Eigen::VectorXd& per_corridor) const {
        return host_ * per_corridor;
    }
    /// Dense origin x host matrix of a corridor quantity.
    [[nodiscard]] Eigen::MatrixXd matrix(const Eigen::VectorXd& per_corridor) const;
    /// Herfindahl index of each origin's migrant stock over hosts (1: a single destination; 0 for
    /// countries that are not origins).
    [[nodiscard]] Eigen::VectorXd destination_concentration() const;

  private:
    const World* world_;
    Eigen::SparseMatrix<double> origin_, host_; // countries x corridors
};

} // namespace bridges::core
